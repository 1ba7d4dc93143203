// Actors module
