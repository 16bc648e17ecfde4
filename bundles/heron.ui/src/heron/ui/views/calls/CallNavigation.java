package heron.ui.views.calls;

/** Which row Next Call / Previous Call select (plain logic: tested without a display). */
public final class CallNavigation {
    private CallNavigation() {
    }

    /**
     * The row to select after stepping {@code delta} rows from the current selection. Next steps
     * from the last selected row, previous from the first; with nothing selected, next starts at
     * the first row and previous at the last. Stops at the ends (no wrap, like Wireshark's Go to
     * Next Packet). Returns -1 for an empty table.
     *
     * @param selected selected row indices (any order, may be empty)
     * @param rows     rows in the table
     * @param delta    +1 for next, -1 for previous
     */
    public static int target(int[] selected, int rows, int delta) {
        if (rows <= 0) {
            return -1;
        }
        if (selected.length == 0) {
            return delta > 0 ? 0 : rows - 1;
        }
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i : selected) {
            min = Math.min(min, i);
            max = Math.max(max, i);
        }
        int from = delta > 0 ? max : min;
        return Math.max(0, Math.min(rows - 1, from + delta));
    }
}
