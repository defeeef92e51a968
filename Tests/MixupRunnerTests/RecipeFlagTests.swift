import MixupRunner
import Testing

@Suite struct RecipeFlagTests {
    let flag = RecipeFlag(name: "radius", valueName: "R", help: "a radius")

    @Test func numberIsTheGivenValueOrTheDefault() throws {
        #expect(try flag.number(in: [:], default: 2, expected: "a positive number") { $0 > 0 } == 2)
        #expect(try flag.number(in: ["radius": "0.25"], default: 2, expected: "a positive number") { $0 > 0 } == 0.25)
        #expect(try flag.number(in: ["other": "x"], default: -1, expected: "anything") == -1)
    }

    @Test(arguments: ["0", "-1", "nan", "inf", "-inf", "two", ""])
    func badNumbersAreRefusedByName(text: String) {
        do {
            _ = try flag.number(in: ["radius": text], default: 2, expected: "a positive number") { $0 > 0 }
            Issue.record("--radius \(text) was accepted")
        } catch {
            guard case .invalidValue(let name, let value, let expected) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(name == "--radius" && value == text && expected == "a positive number")
            #expect(error.description.contains("--radius") && error.description.contains("\"\(text)\""))
        }
    }
}
