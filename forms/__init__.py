"""Form definitions (JSON Schema plus a UI schema, SpiffArena's convention) turned into WTForms
classes and back into JSON-safe task data. No Flask and no database here (see the inbox issue)."""
