/// Construction of the two-level lookup tables used to decode canonical Huffman codes (RFC 1951 §3.2.2).
///
/// A table is an array of `UInt32` entries indexed by the next `primaryBits` input bits (least significant bit first,
/// as DEFLATE packs them). An entry is either
/// - a *symbol entry*: bits 24–27 hold the number of bits to consume (the code length, or what remains of it in a
///   subtable), bits 28–30 the symbol kind (see ``Kind``), bits 16–19 the number of extra bits to read after the code,
///   and bits 0–15 the base value (a literal byte, a length or distance base, or a code-length symbol); or
/// - a *link entry* (bit 31 set) for codes longer than `primaryBits`: bits 0–15 give the start of a subtable and bits
///   24–27 its index width; the subtable is indexed by the input bits that follow the first `primaryBits`.
///
/// Unused slots (incomplete codes) hold ``invalidEntry``, which decodes to kind ``Kind/invalid``.
enum HuffmanTable {
    /// What a decoded symbol means.
    enum Kind: UInt32 {
        /// A literal byte, or for the code-length alphabet the symbol itself (bits 0–15).
        case literal = 0
        /// A match length (literal/length alphabet) or distance: base in bits 0–15 plus extra bits.
        case baseAndExtra = 1
        /// The end-of-block symbol 256.
        case endOfBlock = 2
        /// A code that is not assigned or a symbol that must not occur (286, 287, distance 30, 31).
        case invalid = 3
    }

    static let linkFlag: UInt32 = 0x8000_0000
    static let invalidEntry: UInt32 = Kind.invalid.rawValue << 28 | 1 << 24

    /// Index bits of the primary literal/length table.
    static let literalPrimaryBits = 10
    /// Index bits of the primary distance table.
    static let distancePrimaryBits = 8
    /// Index bits of the code-length table (code lengths of code lengths are at most 7 bits: no subtables).
    static let codeLengthPrimaryBits = 7

    /// Entry capacity needed for a table of `symbolCount` symbols with primary width `primaryBits` and codes of at most
    /// 15 bits: the primary table plus one full-width subtable per possible long code.
    static func capacity(symbolCount: Int, primaryBits: Int) -> Int {
        (1 << primaryBits) + (primaryBits >= 15 ? 0 : symbolCount << (15 - primaryBits))
    }

    /// The payload (kind, extra bits, base; no length) of each literal/length symbol 0...287.
    static let literalPayloads: [UInt32] = {
        let lengthBases: [UInt32] = [
            3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
            227,
            258,
        ]
        let lengthExtra: [UInt32] = [
            0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
        ]
        var payloads = [UInt32](repeating: 0, count: 288)
        for symbol in 0..<256 { payloads[symbol] = Kind.literal.rawValue << 28 | UInt32(symbol) }
        payloads[256] = Kind.endOfBlock.rawValue << 28
        for index in 0..<29 {
            payloads[257 + index] = Kind.baseAndExtra.rawValue << 28 | lengthExtra[index] << 16 | lengthBases[index]
        }
        payloads[286] = Kind.invalid.rawValue << 28
        payloads[287] = Kind.invalid.rawValue << 28
        return payloads
    }()

    /// The payload of each distance symbol 0...31.
    static let distancePayloads: [UInt32] = {
        var payloads = [UInt32](repeating: Kind.invalid.rawValue << 28, count: 32)
        var base: UInt32 = 1
        for symbol in 0..<30 {
            let extra: UInt32 = symbol < 4 ? 0 : UInt32(symbol / 2 - 1)
            payloads[symbol] = Kind.baseAndExtra.rawValue << 28 | extra << 16 | base
            base += 1 << extra
        }
        return payloads
    }()

    /// The payload of each code-length symbol 0...18: the symbol itself.
    static let codeLengthPayloads: [UInt32] = (0..<19).map { Kind.literal.rawValue << 28 | UInt32($0) }

    /// Fills `table` with the decoding table of the code whose code lengths are `lengths` (0 = unused symbol).
    ///
    /// - Precondition: `table` has room for ``capacity(symbolCount:primaryBits:)`` entries, `payloads.count >=
    ///   lengths.count` and every length is at most 15.
    /// - Parameter allowsSingleCode: whether an incomplete code made of one code of length 1 is accepted (as zlib
    ///   does for literal/length and distance codes, not for the code-length code).
    /// - Returns: `nil` on success, or the reason the lengths do not describe a valid prefix code: over-subscribed,
    ///   or incomplete (as zlib, which rejects them, except a code with no symbols at all and the single-code case
    ///   above). Unused bit patterns of an accepted code decode as ``Kind/invalid``.
    static func build(
        lengths: UnsafeBufferPointer<UInt8>, payloads: UnsafeBufferPointer<UInt32>, primaryBits: Int,
        allowsSingleCode: Bool = true, into table: UnsafeMutablePointer<UInt32>
    ) -> String? {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 32) { scratch -> String? in
            scratch.initialize(repeating: 0)
            let count = UnsafeMutableBufferPointer(rebasing: scratch[0..<16])
            let nextCode = UnsafeMutableBufferPointer(rebasing: scratch[16..<32])
            var maxLength = 0
            for length in lengths {
                count[Int(length)] += 1
                maxLength = max(maxLength, Int(length))
            }
            count[0] = 0
            var left = 1
            for length in 1..<16 {
                left = (left << 1) - count[length]
                if left < 0 { return "over-subscribed Huffman code (\(count[length]) codes of length \(length))" }
            }
            if left > 0, maxLength > 0, !(allowsSingleCode && maxLength == 1) {
                return "incomplete Huffman code (\(left) of 32768 code points unused)"
            }
            var code = 0
            for length in 1..<16 {
                code = (code + count[length - 1]) << 1
                nextCode[length] = code
            }
            let primarySize = 1 << primaryBits
            table.update(repeating: invalidEntry, count: primarySize)
            let subtableBits = max(0, maxLength - primaryBits)
            var nextSubtable = primarySize
            for symbol in 0..<lengths.count {
                let length = Int(lengths[symbol])
                if length == 0 { continue }
                let canonical = nextCode[length]
                nextCode[length] += 1
                // DEFLATE sends codes most-significant bit first into an LSB-first bit stream: reverse.
                var reversed = 0
                var remainingCode = canonical
                for _ in 0..<length {
                    reversed = (reversed << 1) | (remainingCode & 1)
                    remainingCode >>= 1
                }
                let payload = payloads[symbol]
                if length <= primaryBits {
                    let entry = payload | UInt32(length) << 24
                    var index = reversed
                    while index < primarySize {
                        table[index] = entry
                        index += 1 << length
                    }
                } else {
                    let prefix = reversed & (primarySize - 1)
                    var link = table[prefix]
                    if link & linkFlag == 0 {
                        link = linkFlag | UInt32(subtableBits) << 24 | UInt32(nextSubtable)
                        table[prefix] = link
                        (table + nextSubtable).update(repeating: invalidEntry, count: 1 << subtableBits)
                        nextSubtable += 1 << subtableBits
                    }
                    let start = Int(link & 0xFFFF)
                    let remaining = length - primaryBits
                    let entry = payload | UInt32(remaining) << 24
                    var index = reversed >> primaryBits
                    while index < 1 << subtableBits {
                        table[start + index] = entry
                        index += 1 << remaining
                    }
                }
            }
            return nil
        }
    }
}
