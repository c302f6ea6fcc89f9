namespace OaiProxy.Limits;

/// <summary>The fixed windows and margins of the limit step.</summary>
internal static class LimitDefaults
{
    /// <summary>The rpm and tpm window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Added to the longest connection timeout to bound how long a leaked slot or reservation can live.</summary>
    public static readonly TimeSpan LeaseMargin = TimeSpan.FromMinutes(1);
}
