export { domainTransformGenerator, type DomainTransformSchema } from './generators/domain-transform/generator';
