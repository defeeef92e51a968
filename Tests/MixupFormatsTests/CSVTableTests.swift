import MixupFormats
import Testing

@Suite struct CSVTableTests {
    @Test func headerIsDetectedAndIntegerLabelsAreUsedDirectly() throws {
        let table = try CSVTable(text: "x,y,label\n1,2,0\n3.5,-4,2\n")
        #expect(table.featureNames == ["x", "y"])
        #expect(table.labelName == "label")
        #expect(table.featureCount == 2)
        #expect(table.rowCount == 2)
        #expect(table.features == [1, 2, 3.5, -4])
        #expect(table.labels == [0, 2])
        #expect(table.classNames == nil)
        #expect(table.featureRow(1) == [3.5, -4])
    }

    @Test func noHeaderIsDetectedForNumericFirstRow() throws {
        let table = try CSVTable(text: "1,2,1\n3,4,0")
        #expect(table.featureNames == nil)
        #expect(table.labelName == nil)
        #expect(table.features == [1, 2, 3, 4])
        #expect(table.labels == [1, 0])
    }

    @Test func stringLabelsAreMappedToSortedClassIndices() throws {
        // The string label in the first row must not make it look like a header.
        let table = try CSVTable(text: "5.1,3.5,setosa\n6.3,3.3,virginica\n5.9,3.0,versicolor\n5.0,3.4,setosa\n")
        #expect(table.featureNames == nil)
        #expect(table.classNames == ["setosa", "versicolor", "virginica"])
        #expect(table.labels == [0, 2, 1, 0])
    }

    @Test func negativeNumericLabelsAreSortedNumerically() throws {
        let table = try CSVTable(text: "1,10\n2,-1\n3,2\n4,-1\n")
        #expect(table.classNames == ["-1", "2", "10"])
        #expect(table.labels == [2, 0, 1, 0])
    }

    @Test func quotedFieldsDelimitersAndBlankLines() throws {
        let text =
            "\u{FEFF}\"a;1\" ; \"b \"\"2\"\"\" ; class\r\n\r\n 1.5 ; \"2\" ; \"cat; dog\"\r\n\n   \n-3;4e2;bird\r\n"
        let table = try CSVTable(text: text, options: .init(delimiter: ";"))
        #expect(table.featureNames == ["a;1", "b \"2\""])
        #expect(table.labelName == "class")
        #expect(table.features == [1.5, 2, -3, 400])
        #expect(table.classNames == ["bird", "cat; dog"])
        #expect(table.labels == [1, 0])
    }

    @Test func quotedFieldsMaySpanLines() throws {
        let table = try CSVTable(text: "f,label\n1,\"multi\nline\"\n2,b\n")
        #expect(table.classNames == ["b", "multi\nline"])
        let error = try #require(formatError { try CSVTable(text: "f,label\n1,\"multi\nline\"\nx,b\n") })
        #expect(error == .invalidCSV(file: nil, line: 4, reason: "column 1: \"x\" is not a number"))
    }

    @Test func labelColumnByNameAndByIndex() throws {
        let text = "id,label,value\n7,1,0.5\n8,0,0.25\n"
        let byName = try CSVTable(text: text, options: .init(labelColumn: .name("label")))
        #expect(byName.featureNames == ["id", "value"])
        #expect(byName.features == [7, 0.5, 8, 0.25])
        #expect(byName.labels == [1, 0])
        let byIndex = try CSVTable(text: text, options: .init(labelColumn: .index(1)))
        #expect(byIndex == byName)
        let missing = try #require(formatError { try CSVTable(text: text, options: .init(labelColumn: .name("y"))) })
        #expect(missing.caseName == "invalidCSV")
        let outOfRange = formatError { try CSVTable(text: text, options: .init(labelColumn: .index(3))) }
        #expect(outOfRange?.caseName == "invalidCSV")
    }

    @Test func explicitHeaderPolicy() throws {
        let absent = try CSVTable(text: "1,2,3\n4,5,6\n", options: .init(header: .absent))
        #expect(absent.rowCount == 2)
        let present = try CSVTable(text: "1,2,3\n4,5,6\n", options: .init(header: .present))
        #expect(present.rowCount == 1)
        #expect(present.featureNames == ["1", "2"])
        let error = formatError { try CSVTable(text: "a,b,c\n1,2,3\n", options: .init(header: .absent)) }
        #expect(error == .invalidCSV(file: nil, line: 1, reason: "column 1: \"a\" is not a number"))
    }

    @Test func badValueNamesLineAndValue() throws {
        let error = try #require(formatError { try CSVTable(text: "x,y,label\n1,2,0\n\n3,abc,1\n") })
        #expect(error == .invalidCSV(file: nil, line: 4, reason: "column 2: \"abc\" is not a number"))
        #expect(error.description == "<memory>:4: invalid CSV: column 2: \"abc\" is not a number")
        let empty = formatError { try CSVTable(text: "1,2,0\n1,,0\n") }
        #expect(empty == .invalidCSV(file: nil, line: 2, reason: "column 2: empty field"))
    }

    @Test func structuralErrors() throws {
        #expect(
            formatError { try CSVTable(text: "1,2,0\n3,4\n") }
                == .invalidCSV(file: nil, line: 2, reason: "expected 3 fields (as on line 1, taken as data), found 2"))
        #expect(formatError { try CSVTable(text: "1,\"2,0\n") }?.description.contains("unterminated") == true)
        #expect(formatError { try CSVTable(text: "\n  \n") }?.caseName == "invalidCSV")
        #expect(formatError { try CSVTable(text: "a,b\n") }?.caseName == "invalidCSV")
        #expect(formatError { try CSVTable(text: "1\n2\n") }?.caseName == "invalidCSV")
    }

    @Test func errorsFromAFileNameThePath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("data.csv")
        try BinaryFile.writeAtomically(Array("a,label\n1,0\nnope,1\n".utf8), to: path)
        let error = try #require(formatError { try CSVTable(path: path) })
        #expect(error == .invalidCSV(file: path, line: 3, reason: "column 1: \"nope\" is not a number"))
        #expect(error.description.hasPrefix("\(path):3: "))
    }

    @Test(arguments: ["nan", "NaN", "inf", "-inf", "1e39"])
    func nonFiniteFeaturesAreRejectedNamingLineAndColumn(text: String) throws {
        let csv = "x,y,label\n1,2,0\n3,\(text),1\n"
        let error = try #require(formatError { try CSVTable(text: csv) })
        #expect(error == .nonFiniteCSV(file: nil, line: 3, column: 2, text: text))
        #expect(error.description.contains(":3: column 2: \"\(text)\""), "\(error)")
        let allowed = try CSVTable(text: csv, options: .init(allowNonFinite: true))
        #expect(!allowed.features[3].isFinite)
    }

    @Test func readsGzipCompressedCSV() throws {
        let text = "x,y,label\n1,2,0\n3,4,1\n"
        let fromMemory = try CSVTable(bytes: GzipBuilder.stored(Array(text.utf8)))
        #expect(fromMemory == (try CSVTable(text: text)))
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("data.csv.gz")
        try BinaryFile.writeAtomically(GzipBuilder.stored(Array(text.utf8)), to: path)
        let table = try CSVTable(path: path)
        #expect(table.features == [1, 2, 3, 4])
        #expect(table.labels == [0, 1])
        // A corrupt .gz names the file and the real problem, not "quote inside an unquoted field".
        var corrupt = GzipBuilder.stored(Array(text.utf8))
        corrupt[corrupt.count - 8] ^= 0xFF
        try BinaryFile.writeAtomically(corrupt, to: path)
        let error = try #require(formatError { try CSVTable(path: path) })
        #expect(error.caseName == "checksumMismatch")
        #expect(error.description.hasPrefix(path), "\(error)")
    }

    @Test func countLineIsExplainedAndCanBeSkipped() throws {
        // scikit-learn's breast_cancer.csv starts with "569,30,malignant,benign" (rows, features, class names).
        let rows = (0..<3).map { row in (0..<30).map { "\(row + $0)" }.joined(separator: ",") + ",\(row % 2)" }
        let text = "3,30,malignant,benign\n" + rows.joined(separator: "\n") + "\n"
        let error = try #require(formatError { try CSVTable(text: text) })
        #expect(error.caseName == "invalidCSV")
        let message = error.description
        #expect(message.contains(":2: "), "\(message)")
        #expect(message.contains("expected 4 fields as on line 1, found 31"), "\(message)")
        #expect(message.contains("line 1 was taken as a header because field 3 (\"malignant\") is not a number"))
        #expect(message.contains("skipRows: 1"), "\(message)")
        let skipped = try CSVTable(text: text, options: .init(skipRows: 1))
        #expect(skipped.rowCount == 3)
        #expect(skipped.featureCount == 30)
        #expect(skipped.featureNames == nil)
        #expect(skipped.labels == [0, 1, 0])
        // A numeric first line with another field count is reported as taken as data.
        let numeric = formatError { try CSVTable(text: "3,30,0,1\n" + rows.joined(separator: "\n")) }
        #expect(
            numeric?.description.contains("(as on line 1, taken as data)") == true, "\(String(describing: numeric))")
        // Later mismatches keep the short message.
        let later = formatError { try CSVTable(text: "1,2,0\n3,4,1\n5,1\n") }
        #expect(later == .invalidCSV(file: nil, line: 3, reason: "expected 3 fields (as on line 1), found 2"))
    }

    @Test func skipRowsSkipsPhysicalLinesAndKeepsLineNumbers() throws {
        let text = "# exported by a tool\n# second comment, with \"quotes\n\nx,label\n1,0\nbad,1\n"
        let error = try #require(formatError { try CSVTable(text: text, options: .init(skipRows: 3)) })
        #expect(error == .invalidCSV(file: nil, line: 6, reason: "column 1: \"bad\" is not a number"))
        let table = try CSVTable(text: "junk\n1,0\n2,1\n", options: .init(skipRows: 1))
        #expect(table.features == [1, 2])
        let empty = formatError { try CSVTable(text: "junk\n", options: .init(skipRows: 5)) }
        #expect(empty?.description.contains("no rows after skipping 5 lines") == true)
    }

    @Test func stringLabelsMapToSortedClasses() throws {
        let table = try CSVTable(text: "f,diagnosis\n1,malignant\n2,benign\n3,malignant\n")
        #expect(table.classNames == ["benign", "malignant"])
        #expect(table.labels == [1, 0, 1])
        #expect(table.classCount == 2)
    }

    @Test func labelsAreCheckedAgainstDeclaredAndBoundedClassCounts() throws {
        let huge = try #require(formatError { try CSVTable(text: "1,0\n2,1000000000\n") })
        #expect(huge.caseName == "invalidCSV")
        #expect(huge.description.contains(":2: "), "\(huge)")
        #expect(huge.description.contains("label 1000000000"), "\(huge)")
        #expect(huge.description.contains("bound of 10000"), "\(huge)")
        let declared = try #require(
            formatError { try CSVTable(text: "1,0\n2,9\n3,10\n", options: .init(classCount: 10)) })
        #expect(declared == .invalidCSV(file: nil, line: 3, reason: "label 10 is outside the declared classes 0..<10"))
        #expect(try CSVTable(text: "1,0\n2,1\n", options: .init(classCount: 5)).classCount == 5)
        #expect(try CSVTable(text: "1,0\n2,3\n").classCount == 4)
        let tooManyNames = formatError {
            try CSVTable(text: "1,a\n2,b\n3,c\n", options: .init(classCount: 2))
        }
        #expect(tooManyNames?.description.contains("3 distinct labels, more than the declared 2 classes") == true)
        let tightBound = ReadLimits(maxClassCount: 3)
        #expect(formatError { try CSVTable(text: "1,0\n2,3\n", options: .init(limits: tightBound)) } != nil)
        #expect(try CSVTable(text: "1,0\n2,2\n", options: .init(limits: tightBound)).classCount == 3)
    }

    @Test func textLabelsWithADeclaredClassCountStillNameEveryClass() throws {
        // Found by Fuzz/Harnesses/csv.swift: a declared class count of 7 with two text labels gave 7 classes but only
        // 2 class names, which `Dataset` then rejects. Text labels make as many classes as they have names.
        let table = try CSVTable(text: "x,label\n1,versicolor\n", options: .init(classCount: 7))
        #expect(table.classCount == 1)
        #expect(table.classNames == ["versicolor"])
    }

    @Test func numericTargetsAreKeptAsNumbersAndBadOnesNamed() throws {
        let text = "x,price,y\n1,2.5,3\n4,-0.25,6\n7,1e3,9\n"
        let table = try CSVTable(text: text, options: .init(labelColumn: .name("price"), labelKind: .numeric))
        #expect(table.targets == [2.5, -0.25, 1000])
        #expect(table.features == [1, 3, 4, 6, 7, 9] && table.featureCount == 2 && table.rowCount == 3)
        #expect(table.labels.isEmpty && table.classCount == 0 && table.classNames == nil)
        #expect(try CSVTable(text: text).targets == nil, "class labels by default")
        let word = #expect(throws: FormatError.self) {
            try CSVTable(text: "x,y\n1,2\n3,cheap\n", options: .init(labelKind: .numeric))
        }
        guard case .invalidCSV(_, 3, let reason) = word else {
            Issue.record("expected invalidCSV on line 3, got \(String(describing: word))")
            return
        }
        #expect(reason.contains("\"cheap\""), "\(reason)")
        let nan = #expect(throws: FormatError.self) {
            try CSVTable(text: "x,y\n1,nan\n", options: .init(labelKind: .numeric))
        }
        #expect(nan?.description.contains("nan") == true)
        // Many distinct values are targets, not classes beyond the class bound.
        let many = (0..<2000).map { "\($0),\(Double($0) * 0.5)" }.joined(separator: "\n")
        #expect(try CSVTable(text: many, options: .init(labelKind: .numeric)).targets?.count == 2000)
    }
}
