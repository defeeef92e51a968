/// Whether operations record the autodiff graph on the current task or thread.
enum GradientMode {
    @TaskLocal static var isDisabled = false
}

/// Runs `body` with gradient recording turned off: parameters read as constants and no graph is built.
///
/// Use it for evaluation, EMA teachers, label guessing and pseudo-labels, whose outputs must never carry gradients.
public func withoutGradients<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientMode.$isDisabled.withValue(true, operation: body)
}

/// Whether operations currently record the autodiff graph (false inside ``withoutGradients(_:)``).
public var isRecordingGradients: Bool { !GradientMode.isDisabled }
