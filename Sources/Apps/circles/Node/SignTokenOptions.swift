import ArgumentParser

/// `--sign-api-token`, `--sign-api-token-file`, or CIRCLES_SIGN_API_TOKEN: the bearer token that lets
/// non-loopback callers use POST /api/sign.
struct SignTokenOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Bearer token that lets non-loopback callers use POST /api/sign (default: $CIRCLES_SIGN_API_TOKEN, else loopback only).",
                               valueName: "token"))
    var signApiToken: String?
    @Option(help: ArgumentHelp("A file holding the signing API token (keeps it out of the process list).", valueName: "file"))
    var signApiTokenFile: String?

    func validate() throws {
        if signApiToken != nil, signApiTokenFile != nil { throw ValidationError("give --sign-api-token or --sign-api-token-file, not both") }
    }

    func resolve() -> String? {
        SecretSource.resolve(flag: signApiToken, file: signApiTokenFile, environment: "CIRCLES_SIGN_API_TOKEN",
                             fileOption: "--sign-api-token-file")
    }
}
