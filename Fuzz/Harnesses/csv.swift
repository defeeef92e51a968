@testable import MixupFormats

// Fuzzing `CSVTable`: options come from the first byte (delimiter, header policy, skipped rows, label column, non-finite
// opt-in), the table from the rest. No crash; a parsed table is consistent.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let control = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let delimiters: [Character] = [",", ";", "\t", " "]
    let headers: [CSVTable.HeaderPolicy] = [.automatic, .present, .absent, .automatic]
    let labelColumns: [CSVTable.LabelColumn] = [.last, .index(0), .name("label"), .index(2)]
    let options = CSVTable.Options(
        delimiter: delimiters[Int(control & 3)], header: headers[Int(control >> 2 & 3)],
        labelColumn: labelColumns[Int(control >> 4 & 3)], skipRows: Int(control >> 6 & 1),
        allowNonFinite: control & 0x80 != 0, classCount: control & 0x40 != 0 ? 7 : nil,
        limits: ReadLimits(maxDecompressedBytes: 1 << 22, maxClassCount: 1_000))
    guard let table = try? CSVTable(bytes: bytes, options: options) else { return 0 }
    if table.features.count != table.rowCount * table.featureCount { fatalError("csv: ragged features") }
    if table.labels.contains(where: { $0 < 0 || $0 >= table.classCount }) { fatalError("csv: label outside classes") }
    if table.classCount > 1_000 { fatalError("csv: \(table.classCount) classes past the bound") }
    if !options.allowNonFinite, table.features.contains(where: { !$0.isFinite }) { fatalError("csv: non-finite") }
    if let names = table.classNames, names.count != table.classCount { fatalError("csv: class names") }
    for row in 0..<table.rowCount { _ = table.featureRow(row) }
    return 0
}
