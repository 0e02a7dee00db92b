"""Staff pages of the children app (a package, so that its forms may build on the web layer's)."""
