// Placeholder until the module lands.
enum OptimizationPlaceholder {}
