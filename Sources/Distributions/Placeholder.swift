// Placeholder until the module lands.
enum DistributionsPlaceholder {}
