import Foundation

/// Reliability diagrams and confidence histograms as SVG (Verma et al. 2019, Fig. 1 d/e; Guo et al. 2017, Fig. 1):
/// one column per report, the reliability diagram (accuracy per confidence bin against the diagonal, the gap shaded)
/// above the histogram of confidences.
public enum CalibrationPlot {
    /// Renders one column per `(title, report)`.
    public static func svg(panels: [(title: String, report: CalibrationReport)], panelSize: Int = 260) -> String {
        let gap = 40, top = 40, histogramHeight = panelSize / 2
        let width = panels.count * (panelSize + gap) + gap
        let height = top + panelSize + gap + histogramHeight + 50
        var text = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
            font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>

            """
        let size = Double(panelSize)
        for (index, panel) in panels.enumerated() {
            let x0 = Double(gap + index * (panelSize + gap))
            let report = panel.report
            text += String(
                format: "<text x=\"%.1f\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">%@</text>\n",
                x0 + size / 2, SVGText.escaped(panel.title))
            text += String(
                format: "<text x=\"%.1f\" y=\"32\" text-anchor=\"middle\" fill=\"#444\">"
                    + "ECE %.2f%% · NLL %.3f · acc %.2f%%</text>\n",
                x0 + size / 2, 100 * report.expectedCalibrationError, report.negativeLogLikelihood,
                100 * report.accuracy)
            let y0 = Double(top)
            text += String(format: "<g transform=\"translate(%.1f,%.1f)\">\n", x0, y0)
            let binWidth = size / Double(max(report.bins.count, 1))
            for (m, bin) in report.bins.enumerated() where bin.count > 0 {
                let x = Double(m) * binWidth
                let accuracyHeight = bin.accuracy * size
                let confidenceHeight = bin.meanConfidence * size
                text += String(
                    format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3b6fb6\" "
                        + "stroke=\"#1d3c66\" stroke-width=\"0.5\"/>\n",
                    x, size - accuracyHeight, binWidth, accuracyHeight)
                let (low, high) = (min(accuracyHeight, confidenceHeight), max(accuracyHeight, confidenceHeight))
                text += String(
                    format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#e34a33\" "
                        + "fill-opacity=\"0.35\" stroke=\"#e34a33\" stroke-width=\"0.5\"/>\n",
                    x, size - high, binWidth, high - low)
            }
            text += String(
                format: "<line x1=\"0\" y1=\"%.1f\" x2=\"%.1f\" y2=\"0\" stroke=\"#888\" stroke-dasharray=\"4,3\"/>\n",
                size, size)
            text += String(
                format: "<rect width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"black\"/>\n", size, size)
            text += String(
                format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">confidence</text>\n", size / 2, size + 14)
            text += String(
                format: "<text transform=\"translate(-8,%.1f) rotate(-90)\" text-anchor=\"middle\">accuracy</text>\n",
                size / 2)
            // Confidence histogram (fraction of samples per bin).
            let hy = size + Double(gap)
            let histogram = Double(histogramHeight)
            let largest = Double(report.bins.map(\.count).max() ?? 1)
            for (m, bin) in report.bins.enumerated() where bin.count > 0 {
                let barHeight = Double(bin.count) / max(largest, 1) * histogram
                text += String(
                    format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#7a7a7a\"/>\n",
                    Double(m) * binWidth, hy + histogram - barHeight, binWidth, barHeight)
            }
            text += String(
                format: "<rect y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"black\"/>\n", hy, size,
                histogram)
            text += String(
                format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">confidence histogram "
                    + "(mean %.3f)</text>\n</g>\n",
                size / 2, hy + histogram + 14, report.meanConfidence)
        }
        return text + "</svg>\n"
    }
}
