// `InputMixupPlugin`: see the files in this folder.
