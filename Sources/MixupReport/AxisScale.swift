import Foundation

/// A linear axis whose range covers the data and ends on "nice" tick values (1, 2 or 5 × 10ⁿ steps).
struct AxisScale: Equatable {
    /// The lower end of the axis (≤ every data value).
    let lower: Double
    /// The upper end of the axis (≥ every data value).
    let upper: Double
    /// The tick values, from `lower` to `upper`.
    let ticks: [Double]

    /// An axis covering `values` (finite ones), with about `tickCount` ticks; `includingZero` starts or ends it at 0.
    init(covering values: [Double], tickCount: Int = 5, includingZero: Bool = false) {
        var low = values.filter(\.isFinite).min() ?? 0
        var high = values.filter(\.isFinite).max() ?? 1
        if includingZero { (low, high) = (min(low, 0), max(high, 0)) }
        if high - low < 1e-12 * max(1, abs(high)) {
            let pad = abs(high) > 0 ? abs(high) * 0.1 : 1
            (low, high) = (low - pad, high + pad)
            if includingZero, values.allSatisfy({ $0 >= 0 }) { low = max(low, 0) }
        }
        let step = Self.niceStep((high - low) / Double(max(tickCount - 1, 1)))
        let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
        lower = first * step
        upper = last * step
        ticks = stride(from: first, through: last + 0.5, by: 1).map { $0 * step }
    }

    /// The smallest 1, 2, 5 × 10ⁿ not below `raw`.
    static func niceStep(_ raw: Double) -> Double {
        let magnitude = pow(10, (log10(max(raw, 1e-300))).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * magnitude >= raw * (1 - 1e-9) { return factor * magnitude }
        return 10 * magnitude
    }

    /// Maps `value` to the pixel range `from`…`to` (either direction).
    func position(_ value: Double, from start: Double, to end: Double) -> Double {
        start + (value - lower) / (upper - lower) * (end - start)
    }

    /// A tick label: as few decimals as the step needs.
    func label(_ value: Double) -> String {
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let decimals = max(0, min(6, Int((-log10(step)).rounded(.up))))
        return String(format: "%.\(decimals)f", abs(value) < step * 1e-9 ? 0 : value)
    }
}
