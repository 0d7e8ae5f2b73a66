using System.Globalization;

namespace Whetstone.LocalCluster.Bench;

/// <summary>A full list read page by page: items, pages, time, response sizes and managed allocation (client and in-process server together).</summary>
internal sealed record PaginatedListFigures(int Items, int Pages, double Seconds, int LargestPageBytes, int WholeListBytes, long AllocatedPerPage, long AllocatedUnpaginated)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"paginated list, 500 per page: {Items} objects in {Pages} pages, {Seconds:F2} s; largest page {LargestPageBytes / 1024.0:F0} KiB (whole list {WholeListBytes / 1024.0:F0} KiB); allocated {AllocatedPerPage / 1048576.0:F1} MiB per page, {AllocatedUnpaginated / 1048576.0:F1} MiB for one unpaginated list");
}
