// Placeholder until the module lands.
enum FormulasPlaceholder {}
