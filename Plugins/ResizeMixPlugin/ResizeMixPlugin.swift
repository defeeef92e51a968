// `ResizeMixPlugin`: see the files in this folder.
