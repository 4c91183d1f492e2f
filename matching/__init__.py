"""Pure-Python ranking, explanation, text normalisation and distance maths: never the driver."""
