import MixupData
import MixupFormats
import Testing

@Suite struct DataErrorTests {
    @Test func everyCaseNamesItsSourceAndValues() {
        let cases: [(DataError, String)] = [
            (
                .format(.truncated(file: "a.idx", expected: 10, found: 4)),
                "a.idx: truncated: expected 10 bytes, found 4"
            ),
            (.missingFile(candidates: ["x"], directory: "/d"), "none of [\"x[.gz]\"] found in /d"),
            (
                .invalidLabel(source: "l.idx", index: 7, value: 200, classCount: 10),
                "l.idx: label 200 at index 7 is not in 0..<10"
            ),
            (.labelCount(source: "d", labels: 1, samples: 2), "d: 1 labels for 2 samples"),
            (.countMismatch(source: "d", what: "classes", expected: 3, found: 4), "d: classes: expected 3, found 4"),
            (
                .shapeMismatch(source: "d", expected: "[1, 28, 28]", found: "[1, 27, 29]"),
                "d: expected [1, 28, 28], found [1, 27, 29]"
            ),
            (.unlabelled(source: "d", operation: "a split"), "d has no labels: a split needs them"),
            (
                .unexpectedLabels(source: "d", operation: "x"),
                "d carries labels: x needs it unlabelled; remove them first"
            ),
            (
                .classTooSmall(source: "d", classIndex: 2, count: 1, required: 5),
                "d: class 2 has only 1 samples, fewer than the 5 required"
            ),
            (.empty(source: "d", operation: "fitting"), "d is empty: fitting needs at least one value"),
            (
                .invalidArgument(source: "d", name: "fraction", value: "2.0", reason: "must be in [0, 1]"),
                "d: fraction 2.0 is invalid: must be in [0, 1]"
            ),
        ]
        for (error, message) in cases {
            #expect(error.description == message)
        }
        #expect(DataError.format(.ioError(path: "/p", reason: "r")).source == "/p")
        #expect(DataError.invalidLabel(source: "l.idx", index: 0, value: 1, classCount: 1).source == "l.idx")
    }

    @Test func classNamesMustMatchTheClassCount() throws {
        let error = #expect(throws: DataError.self) {
            try Dataset(name: "d", sampleShape: [1], samples: [1], labels: [0], classCount: 2, classNames: ["a"])
        }
        #expect(error == .countMismatch(source: "d", what: "class names (one per class)", expected: 2, found: 1))
        let named = try Dataset(
            name: "d", sampleShape: [1], samples: [1, 2], labels: [0, 1], classCount: 2, classNames: ["a", "b"])
        #expect(named.subset([1]).classNames == ["a", "b"])
        #expect(named.removingLabels().classNames == ["a", "b"])
    }
}
