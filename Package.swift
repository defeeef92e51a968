// swift-tools-version: 6.0
// MixupKit — Mixup-family regularization and mixup-based semi-supervised learning as interchangeable plugins.
//
// Dependencies flow one way:
//   CMixupKernels → MixupTensor → MixupNN → MixupMixing → MixupModels → MixupTraining → plugins → MixupSemiSupervised
//   MixupFormats → MixupData → MixupTraining;  everything → MixupKit (umbrella) → recipes → executables.
// No package dependencies and no unsafe compiler flags: other packages can depend on this one.
import PackageDescription

let pluginNames = [
    "InputMixupPlugin", "ManifoldMixupPlugin", "CutMixPlugin", "FMixPlugin", "ResizeMixPlugin", "GridMixPlugin",
    "SmoothMixPlugin", "KMixupPlugin", "MosaicPlugin", "MixupIOPlugin", "NoisyFeatureMixupPlugin",
    "RegMixupPlugin", "DecoupledMixupPlugin", "SaliencyMixPlugin", "CMixupPlugin",
]
// Plugins built on another plugin.
let pluginDependencies: [String: [Target.Dependency]] = [
    "ManifoldMixupPlugin": ["InputMixupPlugin"], "MixupIOPlugin": ["InputMixupPlugin"],
    "NoisyFeatureMixupPlugin": ["InputMixupPlugin"], "RegMixupPlugin": ["InputMixupPlugin"],
]

let package = Package(
    name: "MixupKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MixupKit", targets: ["MixupKit"]),
        .library(name: "MixupRunner", targets: ["MixupRunner"]),
        .library(name: "MixupRecipes", targets: ["MixupRecipes"]),
        // Property checks for users' own mixers (no test-framework dependency).
        .library(name: "MixupKitTestSupport", targets: ["MixupKitTestSupport"]),
        .executable(name: "mixup", targets: ["MixupCLI"]),
        .executable(name: "mixbench", targets: ["mixbench"]),
    ],
    targets: [
        // Engine
        .target(name: "CMixupKernels"),
        .target(name: "MixupTensor", dependencies: ["CMixupKernels"]),
        .target(name: "MixupNN", dependencies: ["MixupTensor"]),
        // Data
        .target(name: "MixupFormats"),
        .target(name: "MixupData", dependencies: ["MixupTensor", "MixupFormats"]),
        // Regularizer API, models, trainer
        .target(name: "MixupMixing", dependencies: ["MixupTensor", "MixupNN"]),
        .target(name: "MixupModels", dependencies: ["MixupNN", "MixupMixing"]),
        .target(
            name: "MixupTraining", dependencies: ["MixupNN", "MixupMixing", "MixupModels", "MixupData", "MixupFormats"]),
        // Measurements on trained models (calibration, adversarial robustness, flattening, deformations, …).
        .target(
            name: "MixupAnalysis", dependencies: ["MixupTensor", "MixupNN", "MixupMixing", "MixupModels", "MixupData"]),
    ]
        // Built-in plugins: ordinary library targets that use only the public API.
        + pluginNames.map { name in
            .target(
                name: name,
                dependencies: ["MixupTensor", "MixupNN", "MixupMixing"] + (pluginDependencies[name] ?? []),
                path: "Plugins/\(name)")
        }
        + [
            .target(
                name: "MixupSemiSupervised",
                dependencies: [
                    "MixupTraining", "MixupMixing", "MixupNN", "MixupTensor", "MixupData", "InputMixupPlugin",
                ]),
            .target(
                name: "MixupKit",
                dependencies: [
                    "MixupTensor", "MixupNN", "MixupFormats", "MixupData", "MixupMixing", "MixupModels",
                    "MixupTraining", "MixupSemiSupervised", "MixupAnalysis",
                ] + pluginNames.map { .target(name: $0) }),
            // The recipe runner behind `mixup` (CLI parsing, strategy catalogue, result tables, plots); user packages
            // call it to run their own recipes with the same flags and outputs.
            .target(name: "MixupRunner", dependencies: ["MixupKit", "MixupSweep", "MixupReport"]),
            // Ablation sweeps: cells as `run` processes, resumable, statistics and charts from disk, Slurm arrays.
            .target(name: "MixupSweep", dependencies: ["MixupTensor"]),
            // Run and sweep reports (report.html, sweep-report.html) rendered only from the files in a run folder.
            .target(name: "MixupReport"),
            .target(name: "MixupRecipes", dependencies: ["MixupRunner"], path: "recipes"),
            .executableTarget(name: "MixupCLI", dependencies: ["MixupRecipes"]),
            .executableTarget(name: "mixbench", dependencies: ["MixupKit"], path: "Benchmarks/mixbench"),
            // Writes a semi-supervised recipe's labelled and validation images for an outside reference run.
            .executableTarget(name: "splitdump", dependencies: ["MixupRecipes"], path: "Benchmarks/splitdump"),
            // The public property checks for mixers (labels sum to 1, realised fractions, determinism, gradients).
            .target(name: "MixupKitTestSupport", dependencies: ["MixupKit"]),
            // Shared test helpers (tolerance asserts, finite-difference gradient checks).
            .target(name: "_MixupTestSupport", dependencies: ["MixupTensor"]),
            // Tests: one target per module, named after it.
            .testTarget(
                name: "MixupTensorTests", dependencies: ["MixupTensor", "CMixupKernels", "_MixupTestSupport"]),
            .testTarget(name: "MixupNNTests", dependencies: ["MixupNN", "_MixupTestSupport"]),
            .testTarget(name: "MixupFormatsTests", dependencies: ["MixupFormats"]),
            .testTarget(name: "MixupDataTests", dependencies: ["MixupData", "_MixupTestSupport"]),
            .testTarget(
                name: "MixupMixingTests", dependencies: ["MixupKit", "MixupKitTestSupport", "_MixupTestSupport"]),
            .testTarget(name: "MixupTrainingTests", dependencies: ["MixupKit", "_MixupTestSupport"]),
            .testTarget(name: "MixupSemiSupervisedTests", dependencies: ["MixupKit", "_MixupTestSupport"]),
            .testTarget(name: "MixupAnalysisTests", dependencies: ["MixupKit", "_MixupTestSupport"]),
            .testTarget(name: "MixupRunnerTests", dependencies: ["MixupRunner", "_MixupTestSupport"]),
            .testTarget(name: "MixupSweepTests", dependencies: ["MixupSweep"]),
            .testTarget(name: "MixupReportTests", dependencies: ["MixupReport"]),
            .testTarget(name: "MixupRecipesTests", dependencies: ["MixupRecipes", "_MixupTestSupport"]),
            // The proof that third parties can extend the library: only public API, no @testable.
            .testTarget(
                name: "ThirdPartyMixerTests",
                dependencies: ["MixupKit", "MixupRunner", "MixupKitTestSupport", "_MixupTestSupport"]),
        ]
)
