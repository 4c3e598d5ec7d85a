"""Categories: the kinds of concern, their deadlines and extra questions; the vocabulary of MOUs and reports."""
