package io.github.jnic.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/nic.md's register and descriptor tables are what RegisterTable prints, and they list everything. */
class RegisterTableTest {
    static final Path DOC = Path.of("../../docs/nic.md");

    @Test
    void theDocsTablesAreTheGeneratedOnes() throws IOException {
        String inDoc = RegisterTable.between(Files.readString(DOC));
        assertNotNull(inDoc, "docs/nic.md has the register-table markers");
        assertEquals(RegisterTable.markdown(), inDoc,
                "docs/nic.md's tables are stale: run java -cp hdl/nic-spec/target/classes io.github.jnic.spec.RegisterTable docs/nic.md");
    }

    @Test
    void everyRegisterAndFieldIsInTheTable() {
        String table = RegisterTable.markdown();
        for (Register r : Registers.all()) {
            Registers.Repeated array = Registers.repeated().stream().filter(a -> a.contains(r)).findFirst().orElse(null);
            assertTrue(table.contains(array == null ? "| " + r.hexOffset() + " | **" + r.name() + "** |" : "**" + array.name() + "n**"), r.name());
            for (Field f : r.fields()) assertTrue(table.contains("| " + f.name() + " |") || table.contains("| " + f.range() + " |"), r.name() + "." + f.name());
        }
        for (Field f : Descriptors.TxContext.FIELDS) assertTrue(table.contains("| " + f.range() + " | " + f.name() + " |"), f.name());
    }
}
