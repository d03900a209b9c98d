// Placeholder until the module lands.
enum MixedModelsPlaceholder {}
