package heron.store.query;

/** What the paged queries share: the ORDER BY that lets H2 read a page in index order. */
final class Paging {
    private Paging() {
    }

    /**
     * The ORDER BY clause for a sort column, in H2's default null order (nulls first ascending,
     * last descending: "slowest first" lists calls without an end last). capture_id leads (the
     * WHERE fixes it) so the order matches an index's columns and H2 reads the page in index
     * order instead of sorting the whole capture; ties are broken by id.
     */
    static String orderBy(String column, boolean ascending) {
        String dir = ascending ? " ASC" : " DESC";
        return "capture_id" + dir + ", " + column + dir + (column.equals("id") ? "" : ", id" + dir);
    }
}
