"""Files and places: paths under the data root, atomic publication, the registry, the landing zone.

One file-system layer (UPath / fsspec), local folders and s3:// prefixes through the same code.
"""
