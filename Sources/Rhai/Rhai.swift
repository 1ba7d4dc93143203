// Rhai module
