"""Writing run folders: atomically, with a manifest, in Flee's and corridor's formats."""
