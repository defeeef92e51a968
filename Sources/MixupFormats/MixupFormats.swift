// `MixupFormats` module: see the files in this folder.
