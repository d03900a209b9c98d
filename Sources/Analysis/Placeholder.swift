// Placeholder until the module lands.
enum AnalysisPlaceholder {}
