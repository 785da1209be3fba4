package io.github.jnic.jhdl;

/**
 * A helper that holds hardware without being {@link Data} (a state machine, for example) and names
 * it after the module field that holds it: when the design is named, {@link #nameAfterField} is
 * called with the field's name ({@code <field>_<i>} inside an array or list).
 */
public interface FieldNamed {
    void nameAfterField(String name);
}
