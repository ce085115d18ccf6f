package jenkins;

/** Stand-in. */
public enum YesNoMaybe {
    YES, NO, MAYBE;

    public Boolean toBool() {
        switch (this) {
            case YES: return true;
            case NO: return false;
            default: return null;
        }
    }
}
