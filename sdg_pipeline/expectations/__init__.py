"""Great Expectations suites as data, and the one helper that runs a suite on a frame."""
