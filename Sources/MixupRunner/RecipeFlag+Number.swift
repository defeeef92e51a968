extension RecipeFlag {
    /// The flag's value in `flags` (``DataRequest/flags`` or ``RunOptions/recipeFlags``) as a finite number, or
    /// `defaultValue` when the flag was not given.
    ///
    /// - Parameters:
    ///   - flags: the recipe's flag values by name.
    ///   - defaultValue: the value without the flag.
    ///   - expected: what a valid value is, for the error message (e.g. "a positive number").
    ///   - isValid: whether a finite number is allowed (NaN and ±∞ are always refused).
    /// - Throws: `RunnerError.invalidValue` naming `--name` and the text given when it is not a number, not finite,
    ///   or not valid.
    public func number(
        in flags: [String: String], default defaultValue: Double, expected: String,
        where isValid: (Double) -> Bool = { _ in true }
    ) throws(RunnerError) -> Double {
        guard let text = flags[name] else { return defaultValue }
        guard let value = Double(text), value.isFinite, isValid(value) else {
            throw .invalidValue(flag: "--" + name, value: text, expected: expected)
        }
        return value
    }
}
