import MixupRunner
import Testing

@Suite struct StrategyCatalogTests {
    @Test(arguments: StrategyCatalog.builtin.names)
    func everyNameBuildsWithDefaultAndExplicitAlpha(name: String) throws {
        let regularizer = try StrategyCatalog.builtin.regularizer(named: name, alpha: nil)
        #expect(!regularizer.name.isEmpty)
        let registration = try #require(StrategyCatalog.builtin.registration(named: name))
        if registration.takesAlpha {
            _ = try StrategyCatalog.builtin.regularizer(named: name, alpha: 0.5)
        } else {
            let error = try #require(throws: RunnerError.self) {
                try StrategyCatalog.builtin.regularizer(named: name, alpha: 0.5)
            }
            #expect(error.description.contains("--alpha") && error.description.contains(name), "\(error)")
        }
    }

    @Test func namesMapToTheExpectedRegularizers() throws {
        let expected = [
            "erm": "erm", "mixup": "mixup", "manifold": "manifold-mixup", "manifold-mixup": "manifold-mixup",
            "cutmix": "cutmix", "mixup-cutmix": "mixup-cutmix",
        ]
        for (name, regularizerName) in expected {
            #expect(try StrategyCatalog.builtin.regularizer(named: name, alpha: nil).name == regularizerName, "\(name)")
        }
        #expect(Set(StrategyCatalog.builtin.names).count == StrategyCatalog.builtin.names.count)
    }

    /// Strategies that draw weights from Beta(α, α) reject α ≤ 0 with the value; ERM and ResizeMix take no α.
    @Test(arguments: [
        "mixup", "manifold", "cutmix", "fmix", "mixup-cutmix", "nfm", "regmixup", "mixup-dm", "cutmix-dm",
        "saliencymix",
        "cmixup", "gridmix", "kmixup", "mixupio",
    ])
    func nonPositiveAlphaIsRejectedWithTheValue(name: String) {
        for alpha in [0.0, -1.5] {
            #expect {
                try StrategyCatalog.builtin.regularizer(named: name, alpha: alpha)
            } throws: { error in
                "\(error)".contains("\(alpha)")
            }
        }
    }

    @Test func unknownNameIsNamed() throws {
        let error = try #require(throws: RunnerError.self) {
            try StrategyCatalog.builtin.regularizer(named: "nope", alpha: nil)
        }
        #expect(error.description.contains("\"nope\"") && error.description.contains("mixup-cutmix"))
    }
}
