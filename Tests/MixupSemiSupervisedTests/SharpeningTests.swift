import MixupKit
import Testing
import _MixupTestSupport

@Suite struct SharpeningTests {
    let probabilities = Tensor(shape: [2, 3], scalars: [0.5, 0.3, 0.2, 0.1, 0.1, 0.8])

    @Test func rowsStayDistributionsAndArgmaxIsKept() {
        let sharp = probabilities.sharpened(temperature: 0.5)
        for row in 0..<2 {
            let values = Array(sharp.scalars[(row * 3)..<(row * 3 + 3)])
            #expect(abs(values.reduce(0, +) - 1) < 1e-5)
        }
        #expect(sharp.argmax(alongAxis: 1) == probabilities.argmax(alongAxis: 1))
    }

    @Test func matchesTheFormula() {
        // p^(1/T) / Σ p^(1/T) with T = 0.5: squares normalised.
        let sharp = probabilities.sharpened(temperature: 0.5)
        let squares: [Float] = [0.25, 0.09, 0.04]
        let total = squares.reduce(0, +)
        expectClose(Array(sharp.scalars.prefix(3)), squares.map { $0 / total }, tolerance: 1e-5)
    }

    @Test func temperatureOneIsIdentityAndSmallTemperatureApproachesOneHot() {
        expectClose(probabilities.sharpened(temperature: 1), probabilities, tolerance: 1e-5)
        let nearlyHard = probabilities.sharpened(temperature: 0.01)
        expectClose(nearlyHard.scalars, [1, 0, 0, 0, 0, 1], tolerance: 1e-4)
    }

    @Test func carriesNoGradient() {
        let parameter = Parameter(probabilities)
        #expect(parameter.tracked.requiresGradient)
        #expect(!parameter.tracked.sharpened(temperature: 0.5).requiresGradient)
    }
}
