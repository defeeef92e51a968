@_exported import CutMixPlugin
@_exported import FMixPlugin
// The umbrella module: `import MixupKit` brings in the whole public API. It only re-exports.
@_exported import InputMixupPlugin
@_exported import ManifoldMixupPlugin
@_exported import MixupAnalysis
@_exported import MixupData
@_exported import MixupFormats
@_exported import MixupMixing
@_exported import MixupModels
@_exported import MixupNN
@_exported import MixupSemiSupervised
@_exported import MixupTensor
@_exported import MixupTraining
@_exported import ResizeMixPlugin
