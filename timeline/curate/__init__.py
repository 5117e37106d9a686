"""Tools for the dataset's curators: the input-file schema, strict policy checks, citation health,
diffs between versions and adding events. Imported only by the commands that use them."""
