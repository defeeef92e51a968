// `ManifoldMixupPlugin`: see the files in this folder.
