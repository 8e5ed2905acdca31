global using Shouldly;
global using Xunit;
global using CdaCheck.Tests.Infrastructure;
global using System.Xml.Linq;
