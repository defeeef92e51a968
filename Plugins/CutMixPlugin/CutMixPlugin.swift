// `CutMixPlugin`: see the files in this folder.
