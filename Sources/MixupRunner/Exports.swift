// Recipes written against the runner see the whole library.
@_exported import MixupKit
@_exported import MixupSweep
