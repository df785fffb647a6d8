"""Modal dialogs of the dashboard. Each is a `ModalScreen[T]` that ends in `dismiss(value)`;
escape dismisses with None and writes nothing. The caller changes the data."""
