"""HTML views of the workspace: parse input, call a service or selector, render."""
