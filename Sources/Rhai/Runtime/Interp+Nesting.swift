extension Interp {
    /// Rejects a value about to be stored inside a container when that would nest data too deep.
    @inline(__always) func checkNesting(_ v: Dynamic, _ pos: Pos) throws(RhaiError) {
        if v.isContainer, v.nestingExceeds(Dynamic.maxNesting - 1) {
            throw RhaiError(.dataTooLarge, "Data is nested too deeply (more than \(Dynamic.maxNesting) levels)", at: pos)
        }
    }
}
