// `FMixPlugin`: see the files in this folder.
