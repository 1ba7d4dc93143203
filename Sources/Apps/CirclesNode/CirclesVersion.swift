/// The version of this build of circles (`circles --version`, `/health`, `circles_build_info`).
public enum CirclesVersion {
    public static let current = "0.1.0"
}
