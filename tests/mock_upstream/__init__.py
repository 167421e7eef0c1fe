"""Black-box tests of the mock upstream (bench/mock_upstream)."""
