"""The DfE edge: Common Transfer Files (CTF XML), translated to and from intake requests."""
