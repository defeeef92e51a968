/// Colours for series, distinguishable and colour-blind friendly (Okabe–Ito), cycled by index.
enum SVGPalette {
    static let colours = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442"]

    static func colour(_ index: Int) -> String { colours[index % colours.count] }
}
