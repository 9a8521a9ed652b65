"""Reporters: each turns a lint result into one output format. They only read the result."""
