// Placeholder until the module lands.
enum ReportsPlaceholder {}
