/// The DEFLATE (RFC 1951) decoding machinery shared by ``Inflate`` and ``Gzip``.
///
/// Reads from a borrowed input buffer through a 64-bit bit buffer and appends to a growable output buffer that it owns
/// (freed in `deinit`). Several streams (gzip members) can be decoded one after another into the same output.
struct InflateEngine: ~Copyable {
    private let input: UnsafePointer<UInt8>
    private let inputCount: Int
    /// Next input byte to load into the bit buffer.
    private var position = 0
    /// Pending input bits, least significant first. Bits at and above `bitCount` may hold copies of upcoming input.
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0
    /// Zero bytes invented after the end of the input (a truncated stream is detected when they are consumed).
    private var overrun = 0

    private var output: UnsafeMutablePointer<UInt8>
    private(set) var outputCount = 0
    private var outputCapacity: Int
    /// Output offset at which the current stream began (matches may not reach before it).
    private var streamStart = 0
    /// The most output bytes allowed; producing more throws ``FormatError/limitExceeded(file:what:limit:remedy:)``
    /// after filling the output exactly to the limit (so a caller may use the prefix).
    private let outputLimit: Int
    /// The `remedy` of the error thrown at ``outputLimit``.
    private let limitRemedy: String

    private let literalTable: UnsafeMutablePointer<UInt32>
    private let distanceTable: UnsafeMutablePointer<UInt32>
    private let codeLengthTable: UnsafeMutablePointer<UInt32>
    private let literalCapacity = HuffmanTable.capacity(symbolCount: 288, primaryBits: HuffmanTable.literalPrimaryBits)
    private let distanceCapacity = HuffmanTable.capacity(
        symbolCount: 32, primaryBits: HuffmanTable.distancePrimaryBits)

    /// An engine reading the `count` bytes at `input`, whose output buffer starts with room for `expectedOutputCount`
    /// bytes and may hold at most `outputLimit` bytes (`limitRemedy` explains that bound in the error).
    ///
    /// - Precondition: `input` stays valid for the life of the engine; `outputLimit >= 0`.
    init(
        input: UnsafePointer<UInt8>, count: Int, expectedOutputCount: Int, outputLimit: Int = Int.max,
        limitRemedy: String = ""
    ) {
        self.input = input
        inputCount = count
        self.outputLimit = outputLimit
        self.limitRemedy = limitRemedy
        outputCapacity = max(1, min(max(1024, expectedOutputCount), outputLimit))
        output = .allocate(capacity: outputCapacity)
        literalTable = .allocate(capacity: literalCapacity)
        distanceTable = .allocate(capacity: distanceCapacity)
        codeLengthTable = .allocate(capacity: 1 << HuffmanTable.codeLengthPrimaryBits)
    }

    deinit {
        output.deallocate()
        literalTable.deallocate()
        distanceTable.deallocate()
        codeLengthTable.deallocate()
    }

    /// A copy of the output bytes `range`.
    func outputBytes(_ range: Range<Int>) -> [UInt8] {
        Array(UnsafeBufferPointer(start: output + range.lowerBound, count: range.count))
    }

    /// The CRC-32 of the output bytes `range`.
    func outputChecksum(_ range: Range<Int>) -> UInt32 {
        CRC32.update(0, UnsafeBufferPointer(start: output + range.lowerBound, count: range.count))
    }

    /// Decodes one complete DEFLATE stream starting at input byte `offset`, appending to the output.
    ///
    /// - Returns: the offset of the first input byte after the stream (the final block is padded to a byte boundary).
    /// - Throws: ``FormatError/corruptDeflate(file:offset:reason:)`` for malformed data, including data that ends
    ///   before the final block does.
    mutating func inflateStream(at offset: Int) throws(FormatError) -> Int {
        position = offset
        bitBuffer = 0
        bitCount = 0
        overrun = 0
        streamStart = outputCount
        do throws(FormatError) {
            var isFinal = false
            while !isFinal {
                isFinal = try bits(1) == 1
                switch try bits(2) {
                case 0: try copyStoredBlock()
                case 1:
                    buildFixedTables()
                    try decodeCompressedBlock()
                case 2:
                    try readDynamicTables()
                    try decodeCompressedBlock()
                default: throw corrupt("reserved block type 3")
                }
            }
            try alignToByte()
            return position
        } catch {
            // Decoding garbage past the end of the input usually fails with some other complaint: say what happened.
            if case .limitExceeded = error { throw error }
            if consumedBits > inputCount * 8 {
                throw .corruptDeflate(
                    file: nil, offset: inputCount, reason: "unexpected end of data (truncated stream)")
            }
            throw error
        }
    }

    /// Copies the output into a new array and releases the engine.
    consuming func takeOutput() -> [UInt8] {
        outputBytes(0..<outputCount)
    }

    // MARK: - Bit input

    private var consumedBits: Int { (position + overrun) * 8 - bitCount }

    /// The byte offset being decoded, for error messages.
    private var currentOffset: Int { min(inputCount, consumedBits / 8) }

    private func corrupt(_ reason: String) -> FormatError {
        .corruptDeflate(file: nil, offset: currentOffset, reason: reason)
    }

    /// Loads input so that at least 56 bits are pending (inventing zero bytes past the end of the input).
    @inline(__always)
    private mutating func refill() {
        if position &+ 8 <= inputCount {
            let word = UnsafeRawPointer(input + position).loadUnaligned(as: UInt64.self)
            bitBuffer |= UInt64(littleEndian: word) &<< UInt64(bitCount)
            position &+= (63 &- bitCount) &>> 3
            bitCount |= 56
        } else {
            refillSlowly()
        }
    }

    private mutating func refillSlowly() {
        while bitCount <= 56 {
            if position < inputCount {
                bitBuffer |= UInt64(input[position]) &<< UInt64(bitCount)
                position += 1
            } else {
                overrun += 1
            }
            bitCount += 8
        }
    }

    /// Reads `count` (at most 32) bits as an integer, least significant first.
    private mutating func bits(_ count: Int) throws(FormatError) -> Int {
        if bitCount < count {
            refill()
            if overrun > 8 { throw corrupt("unexpected end of data") }
        }
        let value = Int(truncatingIfNeeded: bitBuffer & ((1 &<< UInt64(count)) &- 1))
        bitBuffer &>>= UInt64(count)
        bitCount -= count
        return value
    }

    /// Discards the bits up to the next byte boundary and moves the pending whole bytes back to the input, so that
    /// `position` is the next unread byte.
    private mutating func alignToByte() throws(FormatError) {
        let consumed = consumedBits
        if consumed > inputCount * 8 { throw corrupt("unexpected end of data") }
        position = (consumed + 7) / 8
        bitBuffer = 0
        bitCount = 0
        overrun = 0
    }

    // MARK: - Output

    /// Enlarges the output buffer to hold `extra` more bytes, never beyond ``outputLimit``.
    ///
    /// - Throws: ``FormatError/limitExceeded(file:what:limit:remedy:)`` if `extra` more bytes would pass the limit.
    private mutating func grow(toHold extra: Int) throws(FormatError) {
        guard extra <= outputLimit - outputCount else { throw limitError() }
        var newCapacity = outputCapacity
        while newCapacity - outputCount < extra {
            newCapacity = newCapacity <= outputLimit / 2 ? newCapacity * 2 : outputLimit
        }
        let newOutput = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newOutput.update(from: output, count: outputCount)
        output.deallocate()
        output = newOutput
        outputCapacity = newCapacity
    }

    private func limitError() -> FormatError {
        .limitExceeded(file: nil, what: "decompressed data", limit: outputLimit, remedy: limitRemedy)
    }

    /// Makes room for `length` more bytes, or — when that would pass ``outputLimit`` — fills the output up to the limit
    /// with the first bytes of the pending copy and throws. The copy comes from the input at `inputOffset`, or else
    /// from the output `distance` bytes back (copied forwards, as an overlapping match is).
    private mutating func reserve(_ length: Int, inputOffset: Int? = nil, distance: Int = 0) throws(FormatError) {
        guard length > outputLimit - outputCount else { return try grow(toHold: length) }
        let allowed = outputLimit - outputCount
        if allowed > 0 { try grow(toHold: allowed) }
        let destination = output + outputCount
        if let inputOffset {
            destination.update(from: input + inputOffset, count: allowed)
        } else {
            for index in 0..<allowed { destination[index] = destination[index - distance] }
        }
        outputCount += allowed
        throw limitError()
    }

    // MARK: - Blocks

    private mutating func copyStoredBlock() throws(FormatError) {
        try alignToByte()
        guard position + 4 <= inputCount else { throw corrupt("unexpected end of data in stored block header") }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == complement ^ 0xFFFF else {
            throw corrupt("stored block length \(length) does not match its complement \(complement)")
        }
        position += 4
        guard position + length <= inputCount else {
            throw .corruptDeflate(
                file: nil, offset: inputCount,
                reason: "unexpected end of data (stored block of \(length) bytes, \(inputCount - position) left)")
        }
        if outputCapacity - outputCount < length { try reserve(length, inputOffset: position) }
        (output + outputCount).update(from: input + position, count: length)
        outputCount += length
        position += length
    }

    private mutating func buildFixedTables() {
        var lengths = [UInt8](repeating: 8, count: 288)
        for symbol in 144..<256 { lengths[symbol] = 9 }
        for symbol in 256..<280 { lengths[symbol] = 7 }
        let distanceLengths = [UInt8](repeating: 5, count: 32)
        // The fixed lengths form complete codes: building cannot fail.
        _ = buildTable(
            lengths: lengths[...], payloads: HuffmanTable.literalPayloads, table: literalTable,
            primaryBits: HuffmanTable.literalPrimaryBits)
        _ = buildTable(
            lengths: distanceLengths[...], payloads: HuffmanTable.distancePayloads, table: distanceTable,
            primaryBits: HuffmanTable.distancePrimaryBits)
    }

    private func buildTable(
        lengths: ArraySlice<UInt8>, payloads: [UInt32], table: UnsafeMutablePointer<UInt32>, primaryBits: Int,
        allowsSingleCode: Bool = true
    ) -> String? {
        lengths.withUnsafeBufferPointer { lengthBuffer in
            payloads.withUnsafeBufferPointer { payloadBuffer in
                HuffmanTable.build(
                    lengths: lengthBuffer, payloads: payloadBuffer, primaryBits: primaryBits,
                    allowsSingleCode: allowsSingleCode, into: table)
            }
        }
    }

    /// Reads the code-length code and the literal/length and distance code lengths of a dynamic block (RFC 1951
    /// §3.2.7) and builds the two decoding tables.
    private mutating func readDynamicTables() throws(FormatError) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286 else { throw corrupt("too many literal/length codes (\(literalCount) > 286)") }
        guard distanceCount <= 30 else { throw corrupt("too many distance codes (\(distanceCount) > 30)") }
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengthLengths[order[index]] = try UInt8(bits(3)) }
        if let problem = buildTable(
            lengths: codeLengthLengths[...], payloads: HuffmanTable.codeLengthPayloads, table: codeLengthTable,
            primaryBits: HuffmanTable.codeLengthPrimaryBits, allowsSingleCode: false)
        {
            throw corrupt("code-length code: \(problem)")
        }
        var lengths = [UInt8](repeating: 0, count: literalCount + distanceCount)
        var index = 0
        while index < lengths.count {
            if bitCount < 16 {
                refill()
                if overrun > 8 { throw corrupt("unexpected end of data") }
            }
            let entry = codeLengthTable[Int(bitBuffer & 0x7F)]
            let codeBits = Int((entry >> 24) & 0xF)
            bitBuffer &>>= UInt64(codeBits)
            bitCount -= codeBits
            guard entry >> 28 == HuffmanTable.Kind.literal.rawValue else { throw corrupt("invalid code-length code") }
            let symbol = Int(entry & 0xFFFF)
            switch symbol {
            case 0..<16:
                lengths[index] = UInt8(symbol)
                index += 1
            case 16:
                guard index > 0 else { throw corrupt("repeat of previous code length with no previous length") }
                let repeatCount = try 3 + bits(2)
                guard index + repeatCount <= lengths.count else { throw corrupt("code-length repeat overflows") }
                let previous = lengths[index - 1]
                for _ in 0..<repeatCount {
                    lengths[index] = previous
                    index += 1
                }
            default:
                let repeatCount = try symbol == 17 ? 3 + bits(3) : 11 + bits(7)
                guard index + repeatCount <= lengths.count else { throw corrupt("code-length repeat overflows") }
                index += repeatCount  // the lengths are already zero
            }
        }
        guard lengths[256] != 0 else { throw corrupt("dynamic block has no end-of-block code") }
        if let problem = buildTable(
            lengths: lengths[0..<literalCount], payloads: HuffmanTable.literalPayloads, table: literalTable,
            primaryBits: HuffmanTable.literalPrimaryBits)
        {
            throw corrupt("literal/length code: \(problem)")
        }
        if let problem = buildTable(
            lengths: lengths[literalCount...], payloads: HuffmanTable.distancePayloads, table: distanceTable,
            primaryBits: HuffmanTable.distancePrimaryBits)
        {
            throw corrupt("distance code: \(problem)")
        }
    }

    /// Decodes the symbols of a fixed or dynamic Huffman block with the current tables until end-of-block.
    private mutating func decodeCompressedBlock() throws(FormatError) {
        let literalTable = self.literalTable
        let distanceTable = self.distanceTable
        let literalMask = UInt64((1 << HuffmanTable.literalPrimaryBits) - 1)
        let distanceMask = UInt64((1 << HuffmanTable.distancePrimaryBits) - 1)
        let literalBits = UInt64(HuffmanTable.literalPrimaryBits)
        let distanceBits = UInt64(HuffmanTable.distancePrimaryBits)
        while true {
            // 56+ pending bits cover a literal/length code (15), its extra bits (5), a distance code (15) and its extra
            // bits (13).
            refill()
            if overrun > 8 { throw corrupt("unexpected end of data") }
            var entry = literalTable[Int(truncatingIfNeeded: bitBuffer & literalMask)]
            if entry & HuffmanTable.linkFlag != 0 {
                bitBuffer &>>= literalBits
                bitCount &-= HuffmanTable.literalPrimaryBits
                let width = UInt64((entry >> 24) & 0xF)
                entry = literalTable[Int(entry & 0xFFFF) &+ Int(truncatingIfNeeded: bitBuffer & ((1 &<< width) &- 1))]
            }
            var consumed = (entry >> 24) & 0xF
            bitBuffer &>>= UInt64(consumed)
            bitCount &-= Int(consumed)
            let kind = entry >> 28
            if kind == HuffmanTable.Kind.literal.rawValue {
                if outputCount == outputCapacity { try grow(toHold: 1) }
                output[outputCount] = UInt8(truncatingIfNeeded: entry)
                outputCount &+= 1
                continue
            }
            if kind == HuffmanTable.Kind.endOfBlock.rawValue { return }
            if kind != HuffmanTable.Kind.baseAndExtra.rawValue { throw corrupt("invalid literal/length code") }
            var extra = UInt64((entry >> 16) & 0xF)
            let length = Int(entry & 0xFFFF) &+ Int(truncatingIfNeeded: bitBuffer & ((1 &<< extra) &- 1))
            bitBuffer &>>= extra
            bitCount &-= Int(extra)

            entry = distanceTable[Int(truncatingIfNeeded: bitBuffer & distanceMask)]
            if entry & HuffmanTable.linkFlag != 0 {
                bitBuffer &>>= distanceBits
                bitCount &-= HuffmanTable.distancePrimaryBits
                let width = UInt64((entry >> 24) & 0xF)
                entry = distanceTable[Int(entry & 0xFFFF) &+ Int(truncatingIfNeeded: bitBuffer & ((1 &<< width) &- 1))]
            }
            consumed = (entry >> 24) & 0xF
            bitBuffer &>>= UInt64(consumed)
            bitCount &-= Int(consumed)
            if entry >> 28 != HuffmanTable.Kind.baseAndExtra.rawValue { throw corrupt("invalid distance code") }
            extra = UInt64((entry >> 16) & 0xF)
            let distance = Int(entry & 0xFFFF) &+ Int(truncatingIfNeeded: bitBuffer & ((1 &<< extra) &- 1))
            bitBuffer &>>= extra
            bitCount &-= Int(extra)

            guard distance <= outputCount &- streamStart else {
                throw corrupt(
                    "match distance \(distance) reaches before the start of the output "
                        + "(\(outputCount - streamStart) bytes)"
                )
            }
            if outputCapacity &- outputCount < length {
                try reserve(length, distance: distance)
            }
            let destination = output + outputCount
            let source = destination - distance
            if distance >= length {
                destination.update(from: source, count: length)
            } else if distance == 1 {
                destination.update(repeating: source[0], count: length)
            } else {
                // Overlapping copy: the match repeats the last `distance` bytes; copy forwards byte by byte.
                var index = 0
                while index < length {
                    destination[index] = source[index]
                    index &+= 1
                }
            }
            outputCount &+= length
        }
    }
}
