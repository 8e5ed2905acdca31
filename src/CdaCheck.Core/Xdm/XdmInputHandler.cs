using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CdaCheck.Core.Cda;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Xdm;

/// <summary>
/// IHE XDM package (IHE_XDM.ZIP): safe zip reading, layout, METADATA.XML, files (URI, hash, size),
/// then each referenced CDA through the engine as a child result, and metadata ↔ CDA consistency.
/// </summary>
public sealed partial class XdmInputHandler(ReferenceData data) : IInputHandler
{
    public const string Readme = "README.TXT";
    public const string Index = "INDEX.HTM";
    public const string IheXdm = "IHE_XDM";
    public const string Metadata = "METADATA.XML";

    private readonly EbRim _rim = EbRim.Load(data);
    private readonly FormatCodes _formats = FormatCodes.Load(data);
    private readonly ValueSet _j07 = data.ValueSet("J07-typecode");
    private readonly ValueSet _j06 = data.ValueSet("J06-classcode");
    private readonly ValueSet _confidentiality = data.ValueSet("confidentiality");

    public bool CanHandle(ReadOnlySpan<byte> head, string path) =>
        SafeZip.LooksLikeZip(head)
        || head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 5 && head[3] == 6
        || path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) && !Validator.LooksLikeXml(head);

    public void Handle(string path, byte[] bytes, DocumentResult result, FindingSink sink, ValidationContext ctx, Validator validator)
    {
        result.Kind = InputKind.Xdm;
        var zip = SafeZip.Read(bytes, sink, ctx);
        if (zip is null) return;
        foreach (var raw in zip.BackslashNames)
            sink.Report(XdmRules.BackslashSeparator, new Location { Entry = raw }, SafeZip.Printable(raw));

        var caseFlagged = new HashSet<string>(StringComparer.Ordinal);
        string root = FindRoot(zip, sink);
        CheckRootFile(zip, root, Readme, XdmRules.ReadmeMissing, sink, caseFlagged);
        CheckRootFile(zip, root, Index, XdmRules.IndexMissing, sink, caseFlagged);

        var subsets = FindSubsets(zip, root, sink, caseFlagged);
        Check83(zip, root, sink, caseFlagged);

        foreach (var (folder, metadataItem) in subsets)
        {
            ctx.CheckBudget();
            if (metadataItem is null) continue;
            CheckSubset(path, zip, folder, metadataItem, result, sink, ctx, validator);
        }
        // Without METADATA.XML (already reported) the CDA documents are still validated, beside the XDM findings:
        // every XML file holding a ClinicalDocument in a subset without metadata, or anywhere when there is no subset.
        var orphanFolders = subsets.Where(s => s.Metadata is null).Select(s => s.Folder).ToList();
        if (subsets.Count == 0) orphanFolders.Add(root);
        foreach (var file in zip.Files)
        {
            Budget.Poll(orphanFolders.Count);
            if (!orphanFolders.Exists(f => file.Name.StartsWith(f, StringComparison.Ordinal))) continue;
            if (Path.GetFileName(file.Name).Equals(Metadata, StringComparison.OrdinalIgnoreCase)) continue;
            if (!Validator.LooksLikeXml(file.Bytes.AsSpan(0, Math.Min(file.Bytes.Length, 1024))) || !ContainsClinicalDocument(file.Bytes)) continue;
            ctx.CheckBudget();
            result.Children.Add(validator.Validate(path + "!" + file.RawName, file.Bytes, file.RawName, ctx));
        }
    }

    // ---------------------------------------------------------------- layout

    /// <summary>The folder holding the XDM content: "" normally, "X/" when wrapped in an extra top folder.</summary>
    private static string FindRoot(ZipContent zip, FindingSink sink)
    {
        bool Has(string prefix) => zip.HasFolderIgnoreCase(prefix + IheXdm + "/") || zip.FindIgnoreCase(prefix + Readme) is not null;
        if (Has("")) return "";
        var tops = zip.Folders.Where(f => f.IndexOf('/') == f.Length - 1).ToList();
        foreach (var t in tops)
        {
            if (Has(t))
            {
                sink.Report(XdmRules.ExtraTopFolder, new Location { Entry = t }, SafeZip.Printable(t.TrimEnd('/')));
                return t;
            }
        }
        return "";
    }

    private static void CheckRootFile(ZipContent zip, string root, string name, RuleDescriptor missing, FindingSink sink, HashSet<string> caseFlagged)
    {
        if (zip.Find(root + name) is not null) return;
        var other = zip.FindIgnoreCase(root + name);
        if (other is not null)
        {
            caseFlagged.Add(other.Name);
            sink.Report(XdmRules.NameCase, new Location { Entry = other.RawName }, SafeZip.Printable(other.Name[root.Length..]), name);
        }
        else sink.Report(missing, new Location { Entry = root.Length > 0 ? root : null });
    }

    /// <summary>Subset folders (with '/') and their METADATA.XML item (null when missing, already reported).</summary>
    private static List<(string Folder, ZipItem? Metadata)> FindSubsets(ZipContent zip, string root, FindingSink sink, HashSet<string> caseFlagged)
    {
        var list = new List<(string, ZipItem?)>();
        string exact = root + IheXdm + "/";
        string? ihe = zip.Folders.Contains(exact) ? exact
            : zip.Folders.FirstOrDefault(f => string.Equals(f, exact, StringComparison.OrdinalIgnoreCase));
        if (ihe is null)
        {
            sink.Report(XdmRules.IheXdmMissing, Location.None);
            // Still read any METADATA.XML found elsewhere, so the rest of the package is judged.
            foreach (var m in zip.Files.Where(f => Path.GetFileName(f.Name).Equals(Metadata, StringComparison.OrdinalIgnoreCase)))
            {
                if (m.Name != Metadata && !m.Name.EndsWith("/" + Metadata, StringComparison.Ordinal))
                {
                    caseFlagged.Add(m.Name);
                    sink.Report(XdmRules.NameCase, new Location { Entry = m.RawName }, SafeZip.Printable(Path.GetFileName(m.Name)), Metadata);
                }
                list.Add((m.Name[..(m.Name.Length - Metadata.Length)], m));
            }
            return list;
        }
        if (ihe != exact)
        {
            caseFlagged.Add(ihe);
            sink.Report(XdmRules.NameCase, new Location { Entry = ihe }, SafeZip.Printable(ihe[root.Length..].TrimEnd('/')), IheXdm);
        }
        var subsetFolders = zip.Folders
            .Where(f => f.Length > ihe.Length && f.StartsWith(ihe, StringComparison.Ordinal) && f.IndexOf('/', ihe.Length) == f.Length - 1)
            .ToList();
        foreach (var folder in subsetFolders)
        {
            var md = zip.Find(folder + Metadata);
            if (md is null)
            {
                md = zip.FindIgnoreCase(folder + Metadata);
                if (md is not null)
                {
                    caseFlagged.Add(md.Name);
                    sink.Report(XdmRules.NameCase, new Location { Entry = md.RawName }, SafeZip.Printable(md.Name[folder.Length..]), Metadata);
                }
                else sink.Report(XdmRules.MetadataMissing, new Location { Entry = folder }, SafeZip.Printable(folder));
            }
            list.Add((folder, md));
        }
        if (list.Count == 0) sink.Report(XdmRules.NoSubset, new Location { Entry = ihe });
        return list;
    }

    [GeneratedRegex(@"^[A-Z0-9_]{1,8}(\.[A-Z0-9_]{1,3})?$")]
    private static partial Regex Iso9660File();

    [GeneratedRegex(@"^[A-Z0-9_]{1,8}$")]
    private static partial Regex Iso9660Folder();

    private static void Check83(ZipContent zip, string root, FindingSink sink, HashSet<string> caseFlagged)
    {
        foreach (var f in zip.Folders)
        {
            if (!f.StartsWith(root, StringComparison.Ordinal) || f == root || caseFlagged.Contains(f)) continue;
            var name = f.TrimEnd('/');
            name = name[(name.LastIndexOf('/') + 1)..];
            if (!Iso9660Folder().IsMatch(name)) sink.Report(XdmRules.NameNot83, new Location { Entry = f }, SafeZip.Printable(name));
        }
        foreach (var f in zip.Files)
        {
            if (!f.Name.StartsWith(root, StringComparison.Ordinal) || caseFlagged.Contains(f.Name)) continue;
            var name = f.Name[(f.Name.LastIndexOf('/') + 1)..];
            if (!Iso9660File().IsMatch(name)) sink.Report(XdmRules.NameNot83, new Location { Entry = f.RawName }, SafeZip.Printable(name));
        }
    }

    // ---------------------------------------------------------------- METADATA.XML

    private void CheckSubset(string path, ZipContent zip, string folder, ZipItem mdItem, DocumentResult result, FindingSink sink, ValidationContext ctx, Validator validator)
    {
        var mdEntry = mdItem.RawName;
        var mdSink = new FindingSink(sink.Options, mdEntry);
        var xml = SecureXml.Load(mdItem.Bytes, mdSink, ctx.Limits);
        try
        {
            if (xml?.Root is null) return;
            XNamespace lcm = _rim.Lcm, rimNs = _rim.Rim;
            var rootEl = xml.Root;
            bool ok = rootEl.Name == lcm + "SubmitObjectsRequest" && rootEl.Element(rimNs + "RegistryObjectList") is not null
                      || rootEl.Name == rimNs + "RegistryObjectList";
            if (!ok)
            {
                mdSink.Report(XdmRules.NotEbRim, XmlLocation.Of(rootEl, mdEntry), rootEl.Name.ToString());
                return;
            }
            var md = XdmMetadata.Read(xml, _rim);
            Location L(XObject? o) => XmlLocation.Of(o, mdEntry);

            if (md.SubmissionSets.Count != 1)
                mdSink.Report(XdmRules.SubmissionSetCount, L(md.RegistryObjectList), md.SubmissionSets.Count);
            foreach (var other in md.OtherExtrinsicObjects)
                mdSink.Report(XdmRules.DocumentEntryObjectType, L(other), other.Attribute("id")?.Value ?? "(no id)", other.Attribute("objectType")?.Value ?? "(none)");
            if (md.DocumentEntries.Count == 0)
                mdSink.Report(XdmRules.NoDocumentEntry, L(md.RegistryObjectList));

            var ss = md.SubmissionSets.FirstOrDefault();
            if (ss is not null) CheckSubmissionSet(ss, mdSink, L);

            var referenced = new HashSet<string>(StringComparer.Ordinal) { mdItem.Name };
            foreach (var de in md.DocumentEntries)
            {
                ctx.CheckBudget();
                if (ss is not null && !md.HasMember.Contains((ss.Id, de.Id)))
                    mdSink.Report(XdmRules.NoHasMember, L(de.Element), de.Id);
                CheckDocumentEntry(de, ss, mdSink, L);
                var file = ResolveFile(zip, folder, de, mdSink, L);
                if (file is null) continue;
                referenced.Add(file.Name);
                CheckFile(file, de, mdSink, L);
                // IHE DSG signatures are XML but not CDA: they are checked as files (hash, size) only.
                bool signature = de.Code(_rim.DocumentEntry["formatCode"])?.Code is { } fc && _formats.Signatures.Contains(fc);
                if (!signature && IsXmlDocument(de, file, mdSink, L))
                {
                    var child = validator.Validate(path + "!" + file.RawName, file.Bytes, file.RawName, ctx);
                    result.Children.Add(child);
                    var cross = new XdmCdaChecks(data, _rim, _formats);
                    cross.Check(de, file, child, mdSink, L, ctx);
                }
            }
            foreach (var f in zip.Files)
                if (f.Name.StartsWith(folder, StringComparison.Ordinal) && !referenced.Contains(f.Name))
                    sink.Report(XdmRules.Unreferenced, new Location { Entry = f.RawName }, SafeZip.Printable(folder));
        }
        finally
        {
            sink.AddRange(mdSink.Findings);
        }
    }

    private static bool DeclaredXml(XdsObject de) =>
        de.MimeType is { } mt && (mt.Equals("text/xml", StringComparison.OrdinalIgnoreCase) || mt.EndsWith("+xml", StringComparison.OrdinalIgnoreCase) || mt.Equals("application/xml", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Only XML bytes go back into the engine: a package can then never recurse into another package
    /// (a zip quine or a message hidden behind an XML mime type).
    /// </summary>
    private static bool IsXmlDocument(XdsObject de, ZipItem file, FindingSink sink, Func<XObject?, Location> L)
    {
        bool looksXml = Validator.LooksLikeXml(file.Bytes.AsSpan(0, Math.Min(file.Bytes.Length, 1024)));
        if (DeclaredXml(de) && !looksXml)
        {
            sink.Report(XdmRules.NotXml, L(de.Element), de.Id, de.MimeType);
            return false;
        }
        if (looksXml && de.MimeType is { Length: > 0 } && !DeclaredXml(de) && ContainsClinicalDocument(file.Bytes))
        {
            sink.Report(XdmRules.CdaMimeType, L(de.Element), de.Id, SafeZip.Printable(de.MimeType));
            return true;
        }
        return looksXml && (DeclaredXml(de) || de.MimeType is null);
    }

    /// <summary>Cheap look at the start of an XML file for a ClinicalDocument element (no parsing).</summary>
    private static bool ContainsClinicalDocument(byte[] bytes)
    {
        var head = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 64 * 1024));
        return head.Contains("ClinicalDocument", StringComparison.Ordinal);
    }

    private void CheckSubmissionSet(XdsObject ss, FindingSink sink, Func<XObject?, Location> L)
    {
        foreach (var attr in _rim.RequiredSubmissionSet)
            if (!Has(ss, attr, _rim.SubmissionSet))
                sink.Report(XdmRules.SsAttributeMissing, L(ss.Element), attr, ss.Id);
        var pid = ss.External(_rim.SubmissionSet["patientId"]);
        if (pid is not null && !Hl7Values.TryParseInsCx(pid, out _, out _))
            sink.Report(XdmRules.PatientIdSyntax, L(ss.ExternalIds[_rim.SubmissionSet["patientId"]].Element), Identity.Matricule(CxId(pid)), CxRest(pid, sink.Reveal));
        var st = ss.Slot("submissionTime");
        if (st is not null && !Hl7Values.IsDtm(st))
            sink.Report(XdmRules.DtmSyntax, L(ss.SlotElements["submissionTime"]), "submissionTime", SafeZip.Printable(st));
        var uid = ss.External(_rim.SubmissionSet["uniqueId"]);
        if (uid is not null && !Hl7Values.IsUniqueId(uid))
            sink.Report(XdmRules.UniqueIdSyntax, L(ss.ExternalIds[_rim.SubmissionSet["uniqueId"]].Element), SafeZip.Printable(uid));
        foreach (var a in ss.Authors) CheckAuthor(a, sink, L);
    }

    private bool Has(XdsObject o, string attr, IReadOnlyDictionary<string, string> uuids)
    {
        switch (attr)
        {
            case "title": return !string.IsNullOrWhiteSpace(o.Title);
            case "author": return o.Authors.Count > 0;
            case "patientId": case "uniqueId": case "sourceId":
                return !string.IsNullOrWhiteSpace(o.External(uuids[attr]));
        }
        if (uuids.TryGetValue(attr, out var scheme))
            return o.CodesOf(scheme).Any(c => !string.IsNullOrWhiteSpace(c.Code));
        return o.SlotValues(attr).Any(v => !string.IsNullOrWhiteSpace(v));
    }

    private void CheckDocumentEntry(XdsObject de, XdsObject? ss, FindingSink sink, Func<XObject?, Location> L)
    {
        var d = _rim.DocumentEntry;
        foreach (var attr in _rim.RequiredDocumentEntry)
            if (!Has(de, attr, d))
                sink.Report(XdmRules.DeAttributeMissing, L(de.Element), attr, de.Id);
        if (string.IsNullOrWhiteSpace(de.MimeType))
            sink.Report(XdmRules.MimeTypeMissing, L(de.Element), de.Id);

        if (de.ExternalIds.TryGetValue(d["patientId"], out var pid))
        {
            if (!Hl7Values.TryParseInsCx(pid.Value, out _, out _))
                sink.Report(XdmRules.PatientIdSyntax, L(pid.Element), Identity.Matricule(CxId(pid.Value)), CxRest(pid.Value, sink.Reveal));
            var ssPid = ss?.External(_rim.SubmissionSet["patientId"]);
            if (ssPid is not null && ssPid != pid.Value)
                sink.Report(XdmRules.PatientIdMismatchSs, L(pid.Element), de.Id);
        }
        if (de.ExternalIds.TryGetValue(d["uniqueId"], out var uid) && !Hl7Values.IsUniqueId(uid.Value))
            sink.Report(XdmRules.UniqueIdSyntax, L(uid.Element), SafeZip.Printable(uid.Value));
        foreach (var slot in new[] { "creationTime", "serviceStartTime", "serviceStopTime" })
        {
            var v = de.Slot(slot);
            if (v is not null && !Hl7Values.IsDtm(v))
                sink.Report(XdmRules.DtmSyntax, L(de.SlotElements[slot]), slot, SafeZip.Printable(v));
        }
        foreach (var spid in de.SlotValues("sourcePatientId"))
            if (!Hl7Values.IsCx(spid))
                sink.Report(XdmRules.SourcePatientIdSyntax, L(de.SlotElements["sourcePatientId"]), Identity.Matricule(CxId(spid)), CxRest(spid, sink.Reveal));
        var hash = de.Slot("hash");
        if (hash is not null && !Hl7Values.IsSha1Hex(hash))
            sink.Report(XdmRules.HashSizeSyntax, L(de.SlotElements["hash"]), "hash", SafeZip.Printable(hash));
        var size = de.Slot("size");
        if (size is not null && !Hl7Values.IsSize(size))
            sink.Report(XdmRules.HashSizeSyntax, L(de.SlotElements["size"]), "size", SafeZip.Printable(size));

        var type = de.Code(d["typeCode"]);
        if (type?.Code is { } tc && !_j07.Contains(tc))
            sink.Report(XdmRules.TypeCodeUnknown, L(type.Element), SafeZip.Printable(tc), type.CodingScheme ?? "(none)", _j07.Id);
        var cls = de.Code(d["classCode"]);
        if (cls?.Code is { } cc && !_j06.Contains(cc))
            sink.Report(XdmRules.ClassCodeUnknown, L(cls.Element), SafeZip.Printable(cc), cls.CodingScheme ?? "(none)", _j06.Id);
        var fmt = de.Code(d["formatCode"]);
        if (fmt?.Code is { } fc && !_formats.Known.Contains(fc))
            sink.Report(XdmRules.FormatCodeUnknown, L(fmt.Element), SafeZip.Printable(fc), _formats.Version);
        foreach (var conf in de.CodesOf(d["confidentialityCode"]))
            if (conf.Code is { Length: > 0 } c && !_confidentiality.Contains(c) && !_rim.ConfidentialityExtra.Contains(c))
                sink.Report(XdmRules.ConfidentialityUnknown, L(conf.Element), SafeZip.Printable(c), _confidentiality.Id);
        foreach (var a in de.Authors) CheckAuthor(a, sink, L);
    }

    /// <summary>CX.1 (the patient identifier: masked in messages) and the rest of a CX value (authority, type: shown).</summary>
    private static string CxId(string cx) { var i = cx.IndexOf('^'); return i < 0 ? cx : cx[..i]; }
    private static string CxRest(string cx, bool reveal) { var i = cx.IndexOf('^'); return i < 0 ? "" : Hl7Values.CxRestShown(cx[i..], reveal); }

    private static void CheckAuthor(XdsAuthor a, FindingSink sink, Func<XObject?, Location> L)
    {
        foreach (var p in a.Person)
            if (!Hl7Values.IsXcn(p)) sink.Report(XdmRules.XcnSyntax, L(a.Element), SafeZip.Printable(p));
        foreach (var i in a.Institution)
            if (!Hl7Values.IsXon(i)) sink.Report(XdmRules.XonSyntax, L(a.Element), SafeZip.Printable(i));
    }

    // ---------------------------------------------------------------- files

    private static ZipItem? ResolveFile(ZipContent zip, string folder, XdsObject de, FindingSink sink, Func<XObject?, Location> L)
    {
        var uri = de.Slot("URI");
        if (string.IsNullOrWhiteSpace(uri)) return null;
        var el = de.SlotElements["URI"];
        var u = uri.Trim().Replace('\\', '/');
        if (SafeZip.IsAbsolute(u) || u.Contains("://", StringComparison.Ordinal) || u.Split('/').Any(s => s == ".."))
        {
            sink.Report(XdmRules.UriUnsafe, L(el), SafeZip.Printable(uri), de.Id);
            return null;
        }
        if (u.StartsWith("./", StringComparison.Ordinal)) u = u[2..];
        var file = zip.Find(folder + u);
        if (file is not null) return file;
        // Common mistakes: URI written relative to IHE_XDM/ or to the zip root.
        var parent = folder.TrimEnd('/');
        parent = parent.Contains('/') ? parent[..(parent.LastIndexOf('/') + 1)] : "";
        var alt = zip.Find(parent + u) ?? zip.Find(u);
        if (alt is not null)
        {
            sink.Report(XdmRules.UriWrongBase, L(el), SafeZip.Printable(uri), SafeZip.Printable(alt.Name));
            return alt;
        }
        sink.Report(XdmRules.UriNotFound, L(el), SafeZip.Printable(uri), de.Id, SafeZip.Printable(folder));
        return null;
    }

    private static void CheckFile(ZipItem file, XdsObject de, FindingSink sink, Func<XObject?, Location> L)
    {
        var hash = de.Slot("hash");
        if (Hl7Values.IsSha1Hex(hash))
        {
            var actual = Convert.ToHexStringLower(SHA1.HashData(file.Bytes));
            if (!actual.Equals(hash, StringComparison.OrdinalIgnoreCase))
                sink.Report(XdmRules.HashMismatch, L(de.SlotElements["hash"]), actual, hash!.ToLowerInvariant());
        }
        var size = de.Slot("size");
        if (Hl7Values.IsSize(size) && long.Parse(size!, System.Globalization.CultureInfo.InvariantCulture) != file.Bytes.LongLength)
            sink.Report(XdmRules.SizeMismatch, L(de.SlotElements["size"]), file.Bytes.LongLength, size);
    }
}
