/// The version of this build of circles (`circles --version`, `/health`, `circles_build_info`).
package enum CirclesVersion {
    package static let current = "0.1.0"
}
